import {
  FEATURED_SPACE_RUBRIC,
  LECTURER_SPACE_RUBRIC,
  REGION_RUBRIC,
  SCHOOL_RUBRIC,
} from "../rubric/rubrics.js";
import type { Campaign } from "./types.js";

/** City division codes of Zhejiang, in GB/T 2260 order. */
const CITIES = {
  杭州: "330100",
  宁波: "330200",
  温州: "330300",
  嘉兴: "330400",
  湖州: "330500",
  绍兴: "330600",
  金华: "330700",
  衢州: "330800",
  舟山: "330900",
  台州: "331000",
  丽水: "331100",
} as const;

type CityName = keyof typeof CITIES;

function byCityCode(caps: Record<CityName, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(caps).map(([name, cap]) => [CITIES[name as CityName], cap]));
}

/**
 * The 2023 campaign (浙教技中心〔2023〕27号) as demo seed data: timeline, the four award
 * categories with their criteria, quotas keyed by city division code, rubrics and grading.
 * Returns a fresh copy on every call.
 */
export function demoCampaign2023(): Campaign {
  const campaign: Campaign = {
    year: 2023,
    title: "之江汇教育广场2023年空间建设与应用活动",
    docNo: "浙教技中心〔2023〕27号",
    issuer: "浙江省教育技术中心",
    issuedOn: "2023-04-03",
    stages: [
      { stage: "CONTACTS", name: "区域活动联系人信息表报送", deadline: "2023-04-10" },
      { stage: "CLUB_REGISTRATION", name: "社团空间建设登记", deadline: "2023-04-20" },
      // Cities set their own application schedules in unitDeadlines; nothing can be forwarded after city review closes.
      { stage: "APPLICATION", name: "空间信息登记表在线提交", deadline: "2023-09-30", unitDeadlines: {} },
      { stage: "SCHOOL_REVIEW", name: "学校确认", deadline: "2023-09-30", unitDeadlines: {} },
      { stage: "COUNTY_REVIEW", name: "县（市、区）审核推荐", deadline: "2023-09-30", unitDeadlines: {} },
      { stage: "CITY_REVIEW", name: "设区市评审推荐与在线上报", deadline: "2023-09-30" },
      { stage: "PROVINCE_REVIEW", name: "省级专家审定", deadline: null },
      { stage: "PUBLICATION", name: "入选名单公布", deadline: null },
    ],
    pipeline: { levels: ["COUNTY", "CITY", "PROVINCE"] },
    categories: [
      {
        code: "TEACHING_SPACE",
        name: "优秀教学空间",
        applicantKind: "TEACHER",
        criteria: [
          { id: "TS_PROFILE", text: "空间档案信息完善", check: { kind: "FLAG", indicator: "profileComplete" } },
          { id: "TS_DISTINCT", text: "文章资源内容特色鲜明" },
          {
            id: "TS_SELECTED_SHOWN", text: "展示不少于1件省级及以上入选资源",
            check: { kind: "AT_LEAST", indicator: "provinceSelectedResourcesShown", min: 1 },
          },
          {
            id: "TS_VISITS", text: "年度空间访问量高于全省平均水平",
            check: { kind: "ABOVE", indicator: "yearlyVisits", reference: "provinceAverageYearlyVisits" },
          },
          {
            id: "TS_OLD_RESOURCES", text: "超过5年的空间资源占比低于20%",
            check: { kind: "RATIO_BELOW", label: "超过5年的资源占比", numerator: "resourcesOlderThan5Years", denominator: "resourceCount", max: 0.2 },
          },
          {
            id: "TS_LIBRARY", text: "2023年入选省级资源库资源不少于5条",
            check: { kind: "AT_LEAST", indicator: "provinceLibraryResourcesThisYear", min: 5 },
          },
          {
            id: "TS_REVIEWS", text: "参与空间学科资源审核，评审不少于5条资源",
            check: { kind: "AT_LEAST", indicator: "resourceReviewsDone", min: 5 },
          },
          {
            id: "TS_TEACHING_CLIENT", text: "利用网络学习空间教学端开展备授课教学活动不少于5次",
            check: { kind: "AT_LEAST", indicator: "teachingClientActivities", min: 5 },
          },
        ],
        quota: {
          perCity: byCityCode({ 杭州: 70, 宁波: 60, 温州: 75, 湖州: 35, 嘉兴: 40, 绍兴: 55, 金华: 55, 台州: 55, 衢州: 25, 舟山: 15, 丽水: 30 }),
          countySubQuotas: true,
        },
        rubric: FEATURED_SPACE_RUBRIC,
      },
      {
        code: "LECTURER_SPACE",
        name: "优秀讲师空间",
        applicantKind: "TEACHER",
        criteria: [
          { id: "LS_COMPETENCE", text: "建设教师具备较高信息素养和教学能力" },
          {
            id: "LS_PUBLISHED", text: "在空间发布个人简介、宣讲短视频、培训主题等",
            check: {
              kind: "ALL",
              checks: [
                { kind: "FLAG", indicator: "hasIntro" },
                { kind: "FLAG", indicator: "hasPromoVideo" },
                { kind: "FLAG", indicator: "hasTrainingTopics" },
              ],
            },
          },
          {
            id: "LS_LECTURES", text: "开展之江汇建设应用讲座，年度不少于5次",
            check: { kind: "AT_LEAST", indicator: "lecturesThisYear", min: 5 },
          },
          {
            id: "LS_GUIDED", text: "指导不少于5位教师参加之江汇相关省级资源建设应用活动",
            check: { kind: "AT_LEAST", indicator: "guidedTeachers", min: 5 },
          },
          {
            id: "LS_COURSE", text: "参与区域特色培训课程设计开发，主讲不少于1课时",
            check: {
              kind: "ALL",
              checks: [
                { kind: "FLAG", indicator: "designedRegionalCourse" },
                { kind: "AT_LEAST", indicator: "lecturedClassHours", min: 1 },
              ],
            },
          },
        ],
        quota: { perCounty: 2, perCityFromEachCounty: 2, perCityDirect: 2 },
        rubric: LECTURER_SPACE_RUBRIC,
      },
      {
        code: "SCHOOL",
        name: "空间应用优秀学校",
        applicantKind: "SCHOOL",
        criteria: [
          { id: "SC_MANAGER", text: "有专人负责空间管理", check: { kind: "FLAG", indicator: "hasSpaceManager" } },
          { id: "SC_CLASSES", text: "班级建构完备", check: { kind: "FLAG", indicator: "classesComplete" } },
          {
            id: "SC_ACTIVE", text: "教师、学生活跃空间比率不低于70%",
            check: {
              kind: "ALL",
              checks: [
                { kind: "RATIO_AT_LEAST", label: "教师活跃空间比率", numerator: "activeTeacherSpaces", denominator: "teacherCount", min: 0.7 },
                { kind: "RATIO_AT_LEAST", label: "学生活跃空间比率", numerator: "activeStudentSpaces", denominator: "studentCount", min: 0.7 },
              ],
            },
          },
          {
            id: "SC_ADOPTION", text: "空间普及应用满足以下条件之一：（1）在线教学应用；（2）之江汇社团空间建设",
            check: {
              kind: "ANY",
              checks: [
                {
                  kind: "ALL", label: "在线教学应用",
                  checks: [
                    { kind: "AT_LEAST", indicator: "onlineCourseMaxLearners", min: 200 },
                    { kind: "RATIO_AT_LEAST", label: "参与网络同步课程学习的学生比例", numerator: "syncCourseStudents", denominator: "studentCount", min: 0.5 },
                    { kind: "AT_LEAST", indicator: "lecturerTeamTeachers", min: 1 },
                    { kind: "RATIO_AT_LEAST", label: "利用教学端备授课的教师比例", numerator: "teachingClientTeachers", denominator: "teacherCount", min: 0.6 },
                  ],
                },
                {
                  kind: "ALL", label: "社团空间建设",
                  checks: [
                    { kind: "FLAG", indicator: "hostsClubSpace" },
                    { kind: "AT_LEAST", indicator: "clubActivitiesWith100External", min: 2 },
                  ],
                },
              ],
            },
          },
        ],
        quota: {
          perCity: byCityCode({ 杭州: 10, 宁波: 10, 温州: 10, 湖州: 8, 嘉兴: 8, 绍兴: 8, 金华: 8, 衢州: 8, 台州: 8, 丽水: 8, 舟山: 4 }),
          practiceBasePerCity: 3,
        },
        rubric: SCHOOL_RUBRIC,
      },
      {
        code: "REGION",
        name: "空间应用优秀区域",
        applicantKind: "REGION",
        criteria: [
          {
            id: "RG_ACTIVE", text: "教师、学生活跃空间比率不低于60%",
            check: {
              kind: "ALL",
              checks: [
                { kind: "RATIO_AT_LEAST", label: "教师活跃空间比率", numerator: "activeTeacherSpaces", denominator: "teacherCount", min: 0.6 },
                { kind: "RATIO_AT_LEAST", label: "学生活跃空间比率", numerator: "activeStudentSpaces", denominator: "studentCount", min: 0.6 },
              ],
            },
          },
          {
            id: "RG_TEACHING_CLIENT", text: "区域内50%教师利用网络学习空间教学端常态化开展备授课教学活动",
            check: { kind: "RATIO_AT_LEAST", label: "利用教学端备授课的教师比例", numerator: "teachingClientTeachers", denominator: "teacherCount", min: 0.5 },
          },
          {
            id: "RG_ONLINE", text: "开展在线教学服务的教师空间占区域教师总数的0.4%，或报名学生数占区域学生总数的5%",
            check: {
              kind: "ANY",
              checks: [
                { kind: "RATIO_AT_LEAST", label: "开展在线教学服务的教师空间占比", numerator: "onlineTeachingTeacherSpaces", denominator: "teacherCount", min: 0.004 },
                { kind: "RATIO_AT_LEAST", label: "在线教学报名学生占比", numerator: "onlineEnrolledStudents", denominator: "studentCount", min: 0.05 },
              ],
            },
          },
          {
            id: "RG_LECTURER_TEAM", text: "组建区域讲师团，打造区域讲师团社团空间，并设计开发一门培训课程",
            check: {
              kind: "ALL",
              checks: [
                { kind: "FLAG", indicator: "hasLecturerTeam" },
                { kind: "FLAG", indicator: "hasLecturerClubSpace" },
                { kind: "AT_LEAST", indicator: "trainingCoursesDeveloped", min: 1 },
              ],
            },
          },
        ],
        quota: {
          perCity: byCityCode({ 杭州: 3, 宁波: 3, 温州: 3, 湖州: 3, 嘉兴: 3, 绍兴: 3, 金华: 3, 衢州: 3, 台州: 3, 丽水: 3, 舟山: 3 }),
        },
        rubric: REGION_RUBRIC,
      },
    ],
    forms: { caseMinChars: 1000, caseMaxChars: 3000, spaceUrlHosts: ["zjer.cn"] },
    finalization: {
      expertsPerApplication: 3,
      spreadThreshold: 15,
      grading: {
        mode: "PROPORTIONS",
        bands: [
          { grade: "一等", proportion: 0.1 },
          { grade: "二等", proportion: 0.2 },
          { grade: "三等", proportion: 0.3 },
        ],
        rounding: "HALF_UP",
      },
    },
  };
  return structuredClone(campaign);
}
